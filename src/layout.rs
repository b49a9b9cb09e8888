//! The disc layout model (placeholder; being written).
