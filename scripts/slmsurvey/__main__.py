from slmsurvey.cli import main

main()
