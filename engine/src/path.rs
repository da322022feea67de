//! JSONPath as Step Functions uses it (placeholder, being written).
