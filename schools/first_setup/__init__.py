"""The guided first setup of a new district: a checklist for the first admin, each step checked from what
the portal holds (the district, a school year, an applied roster) or confirmed by the admin (the catalogs
they reviewed, the identity provider they tried), so that it can be left and resumed at any time."""
