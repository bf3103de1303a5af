//! The commercial AWS regions (partition `aws`) and their Availability Zones,
//! as published in AWS's documentation and botocore's partition data.
//!
//! Rows are in the order EC2's DescribeRegions lists regions. Each region's
//! zones are given as (letter, AZ number) pairs: `('a', 4)` with the prefix
//! `use1` is `us-east-1a` = `use1-az4`. AZ ids name the same physical zone in
//! every account; the letters are one fixed mapping (in the oldest regions AWS
//! maps letters per account, so any consistent mapping is a real one).

/// Whether an account must opt in to a region before using it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionOptIn {
    /// Regions launched before March 2019: enabled in every account.
    NotRequired,
    /// Newer regions: disabled until the account enables them.
    Required,
}

/// One region as written in the table.
#[derive(Debug)]
pub struct RegionSpec {
    pub name: &'static str,
    /// The region's long name, e.g. `US East (N. Virginia)`.
    pub long_name: &'static str,
    pub opt_in: RegionOptIn,
    /// Country (or territory) the region's infrastructure is in.
    pub country: &'static str,
    /// State or province, where AWS names one (US regions).
    pub subdivision: Option<&'static str>,
    /// The AZ id prefix, e.g. `use1`.
    pub zone_id_prefix: &'static str,
    /// Zone letters and the AZ numbers they map to.
    pub zones: &'static [(char, u8)],
}

use RegionOptIn::{NotRequired, Required};

const USA: &str = "United States of America";

#[rustfmt::skip]
pub const REGION_TABLE: &[RegionSpec] = &[
    spec("ap-south-2", "Asia Pacific (Hyderabad)", Required, "India", None, "aps2", THREE),
    spec("ap-south-1", "Asia Pacific (Mumbai)", NotRequired, "India", None, "aps1", &[('a', 1), ('b', 3), ('c', 2)]),
    spec("eu-south-1", "Europe (Milan)", Required, "Italy", None, "eus1", THREE),
    spec("eu-south-2", "Europe (Spain)", Required, "Spain", None, "eus2", THREE),
    spec("me-central-1", "Middle East (UAE)", Required, "United Arab Emirates", None, "mec1", THREE),
    spec("il-central-1", "Israel (Tel Aviv)", Required, "Israel", None, "ilc1", THREE),
    spec("ca-central-1", "Canada (Central)", NotRequired, "Canada", None, "cac1", &[('a', 1), ('b', 2), ('d', 4)]),
    spec("mx-central-1", "Mexico (Central)", Required, "Mexico", None, "mxc1", THREE),
    spec("eu-central-1", "Europe (Frankfurt)", NotRequired, "Germany", None, "euc1", &[('a', 2), ('b', 3), ('c', 1)]),
    spec("eu-central-2", "Europe (Zurich)", Required, "Switzerland", None, "euc2", THREE),
    spec("us-west-1", "US West (N. California)", NotRequired, USA, Some("California"), "usw1", &[('a', 3), ('b', 1)]),
    spec("us-west-2", "US West (Oregon)", NotRequired, USA, Some("Oregon"), "usw2", &[('a', 2), ('b', 1), ('c', 3), ('d', 4)]),
    spec("af-south-1", "Africa (Cape Town)", Required, "South Africa", None, "afs1", THREE),
    spec("eu-north-1", "Europe (Stockholm)", NotRequired, "Sweden", None, "eun1", THREE),
    spec("eu-west-3", "Europe (Paris)", NotRequired, "France", None, "euw3", THREE),
    spec("eu-west-2", "Europe (London)", NotRequired, "United Kingdom", None, "euw2", &[('a', 2), ('b', 3), ('c', 1), ('d', 4)]),
    spec("eu-west-1", "Europe (Ireland)", NotRequired, "Ireland", None, "euw1", THREE),
    spec("ap-northeast-3", "Asia Pacific (Osaka)", NotRequired, "Japan", None, "apne3", &[('a', 3), ('b', 1), ('c', 2)]),
    spec("ap-northeast-2", "Asia Pacific (Seoul)", NotRequired, "South Korea", None, "apne2", &[('a', 1), ('b', 2), ('c', 3), ('d', 4)]),
    spec("me-south-1", "Middle East (Bahrain)", Required, "Bahrain", None, "mes1", THREE),
    spec("ap-northeast-1", "Asia Pacific (Tokyo)", NotRequired, "Japan", None, "apne1", &[('a', 4), ('c', 1), ('d', 2)]),
    spec("sa-east-1", "South America (Sao Paulo)", NotRequired, "Brazil", None, "sae1", THREE),
    spec("ap-east-1", "Asia Pacific (Hong Kong)", Required, "Hong Kong", None, "ape1", THREE),
    spec("ap-east-2", "Asia Pacific (Taipei)", Required, "Taiwan", None, "ape2", THREE),
    spec("ca-west-1", "Canada West (Calgary)", Required, "Canada", None, "caw1", THREE),
    spec("ap-southeast-1", "Asia Pacific (Singapore)", NotRequired, "Singapore", None, "apse1", THREE),
    spec("ap-southeast-2", "Asia Pacific (Sydney)", NotRequired, "Australia", None, "apse2", &[('a', 3), ('b', 1), ('c', 2)]),
    spec("ap-southeast-3", "Asia Pacific (Jakarta)", Required, "Indonesia", None, "apse3", THREE),
    spec("ap-southeast-4", "Asia Pacific (Melbourne)", Required, "Australia", None, "apse4", THREE),
    spec("us-east-1", "US East (N. Virginia)", NotRequired, USA, Some("Virginia"), "use1",
        &[('a', 4), ('b', 6), ('c', 1), ('d', 2), ('e', 3), ('f', 5)]),
    spec("ap-southeast-5", "Asia Pacific (Malaysia)", Required, "Malaysia", None, "apse5", THREE),
    spec("ap-southeast-6", "Asia Pacific (New Zealand)", Required, "New Zealand", None, "apse6", THREE),
    spec("ap-southeast-7", "Asia Pacific (Thailand)", Required, "Thailand", None, "apse7", THREE),
    spec("us-east-2", "US East (Ohio)", NotRequired, USA, Some("Ohio"), "use2", THREE),
];

/// The common layout: zones a, b, c are az1, az2, az3.
const THREE: &[(char, u8)] = &[('a', 1), ('b', 2), ('c', 3)];

const fn spec(
    name: &'static str,
    long_name: &'static str,
    opt_in: RegionOptIn,
    country: &'static str,
    subdivision: Option<&'static str>,
    zone_id_prefix: &'static str,
    zones: &'static [(char, u8)],
) -> RegionSpec {
    RegionSpec { name, long_name, opt_in, country, subdivision, zone_id_prefix, zones }
}
