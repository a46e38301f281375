"""onetlocal: a self-hostable, offline O*NET Web Services v2 API built from the public O*NET release."""

__version__ = "0.1.0"
API_VERSION = "2.0"
