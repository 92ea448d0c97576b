"""A small workforce register whose four measures are known on 2026-06-30 (see the comments)."""

WORKFORCE = {
    "schema": "rsqm/workforce@1",
    "staff": [
        # registered, supervised in time, observed, enough CPD
        {"code": "P01", "paid": True, "started": "2021-01-04", "training": {"level": "intermediate", "completed": "2021-02-01"},
         "registration": {"level": "intermediate", "expires": "2027-01-31"},
         "supervision": ["2025-08-01", "2025-10-20", "2026-01-10", "2026-04-01", "2026-06-20"],
         "observed_practice": ["2025-11-04"],
         "cpd": [{"date": "2026-02-10", "hours": 8, "rjc_approved": True, "title": "Trauma-informed practice"},
                 {"date": "2026-03-10", "hours": 4, "rjc_approved": False, "title": "Safeguarding refresher"}]},
        # registration lapsed the day before D, last supervision 131 days before D
        {"code": "P05", "paid": True, "started": "2021-01-04", "training": {"level": "foundation", "completed": "2021-02-01"},
         "registration": {"level": "foundation", "expires": "2026-06-29"}, "supervision": ["2025-10-01", "2025-12-10", "2026-02-19"]},
        # a volunteer in the first year: supervised, not yet counted for registration or observation
        {"code": "V01", "paid": False, "started": "2026-01-05", "training": {"level": "foundation", "completed": "2026-02-01"},
         "supervision": ["2026-03-20", "2026-06-01"]},
        # does not deliver RJ
        {"code": "A01", "paid": True, "admin_only": True, "started": "2019-05-01"},
    ],
}
