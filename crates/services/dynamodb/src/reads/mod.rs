//! Query and Scan.
