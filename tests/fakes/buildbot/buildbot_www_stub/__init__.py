"""Stand-in for the buildbot-www package, which Debian does not ship.

The master refuses to start its web service, and with it the REST API under
/api/v2, unless a www plugin named "base" is registered. This package
registers one that serves a single static page instead of the web UI.
"""

from buildbot.www.plugin import Application

ep = Application(__name__, "stub UI (REST API only, no web frontend)")
