"""The side panel's tabs, one TabPane subclass each: Figures, Entities, Claims."""
