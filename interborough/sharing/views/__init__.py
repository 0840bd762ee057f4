"""The sharing app's pages. Drafting (views/drafting*.py) and reading, the register and
decisions (views/register.py, agreements.py, decisions.py) each keep to their own modules;
urls_drafting.py, urls_register.py and urls_decisions.py import the ones they route to."""
