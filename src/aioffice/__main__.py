from aioffice.cli import main

raise SystemExit(main())
