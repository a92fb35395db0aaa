from creepcheck.cli import main

main()
