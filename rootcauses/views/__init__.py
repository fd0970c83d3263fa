"""The owner's pages: my root causes, the root cause page, the period's update, closure,
evidence and the audit history. Views are thin: they fetch through rootcauses.access,
read through rootcauses.selectors and write through rootcauses.services.
"""
