"""`kctl lint` report formats: one module per format, all pure functions of the results.

``kctl.lint.report.render`` picks the module; each module is imported only when its
format is asked for, so ``-o text`` never pays for the XML or SARIF code.
"""
