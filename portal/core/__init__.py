"""Rules every area shares, below every area: one refusal, one "not found", one permission
rule, one clock, one id parser, one text rule, one base form.

Nothing here imports an area; every area may import from here.
"""
