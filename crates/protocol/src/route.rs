//! Service and operation identification (being written).
