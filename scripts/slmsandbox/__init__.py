"""What the tests and the benchmark both run the survey in: a throwaway copy of the project around a
chosen catalog (`project`), and a local server that serves a built site as GitHub Pages does, on a
thread (`pages`). Neither is the survey itself (`slmsurvey`) nor a measurement (`slmbench`)."""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
