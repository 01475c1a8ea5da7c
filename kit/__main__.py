import sys

from kit.build import main

sys.exit(main())
