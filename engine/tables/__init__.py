"""Any table: reading (pandas/pyarrow/calamine), profile, column roles, leakage, cleaning pipeline, models and
cross-validation, explanations, the prediction form, batch prediction, the workspace service."""
