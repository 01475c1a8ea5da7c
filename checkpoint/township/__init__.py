"""The township office (镇防控办): its own database (schema.py, store.py), its use cases (office.py:
setting up, stations and their keys, the policy it sends; collect.py: the stations' daily bundles;
bundle.py: the signed bundle back to the stations; report.py and report_files.py: the day's
report) and its dashboard (dashboard.py). It shares the domain's rules, the exchange's file formats
and the database layer with the station, and never imports the station's services or store (nor
they it): pyproject.toml's contracts check both ways.
"""
