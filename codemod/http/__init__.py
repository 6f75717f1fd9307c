"""Hand-written requests to Amplitude's HTTP APIs (spec §5), shared by every language.

`endpoints` classifies a URL (ingestion API, region, read API); `convert` is the converter a
rewritten module receives; `python` finds and rewrites the requests in Python modules.
"""
