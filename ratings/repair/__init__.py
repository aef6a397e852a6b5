"""Credit repair (信用修复) and the district's rule set: applications for repair and the
supervisor's decision, the rule-set switches, and the replay of another rule set."""
