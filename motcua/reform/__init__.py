"""Administrative reform: business dialogues ("Cà phê Doanh nhân", MISSION.md M16); the
simplification reviews (M12) will live here too."""
