"""The indicator registry and its composition: values against targets, pace, trends and
breakdowns, read by the dashboard, the summary API and the reports. No domain code: each
figure is computed by the function its domain app's ``indicators.py`` declares."""
