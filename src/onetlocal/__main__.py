from onetlocal.cli import main

main()
