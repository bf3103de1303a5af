//! Local Zones and Wavelength Zones: a representative set of the ones AWS
//! publishes for US East (N. Virginia) and US West (Oregon).
//!
//! Names follow AWS's patterns, derived from these rows:
//! - Local Zone: `us-west-2-lax-1a`, id `usw2-lax1-az1`, group and network
//!   border group `us-west-2-lax-1`, long name `US West (Los Angeles)`;
//! - Wavelength Zone: `us-east-1-wl1-bos-wlz-1`, id `use1-wl1-bos-wlz1`,
//!   group `us-east-1-wl1`, network border group the zone's own name, long
//!   name `US East (Verizon)`.
//!
//! Each edge zone hangs off a parent Availability Zone of its region, named
//! here by AZ number (`4` in us-east-1 is `use1-az4`).

/// One Local Zone group: a metro area with one or more zones.
#[derive(Debug)]
pub struct LocalZoneSpec {
    pub region: &'static str,
    /// Airport-style metro code, e.g. `lax`.
    pub metro: &'static str,
    /// The group's generation number: `1` in `us-west-2-lax-1`.
    pub generation: u8,
    /// Zone letters and their zone numbers within the group.
    pub zones: &'static [(char, u8)],
    pub metro_name: &'static str,
    /// The state the metro's infrastructure is in.
    pub subdivision: &'static str,
    /// AZ number of the parent zone in the region.
    pub parent_az: u8,
}

/// One Wavelength group: a carrier's zones in a region.
#[derive(Debug)]
pub struct WavelengthGroupSpec {
    pub region: &'static str,
    /// `1` in `us-east-1-wl1`.
    pub group: u8,
    pub carrier: &'static str,
    pub parent_az: u8,
    /// Metro codes of the group's zones.
    pub metros: &'static [&'static str],
}

const A: &[(char, u8)] = &[('a', 1)];

#[rustfmt::skip]
pub const LOCAL_ZONE_TABLE: &[LocalZoneSpec] = &[
    local("us-east-1", "atl", 1, A, "Atlanta", "Georgia", 4),
    local("us-east-1", "bos", 1, A, "Boston", "Massachusetts", 4),
    local("us-east-1", "chi", 2, A, "Chicago", "Illinois", 6),
    local("us-east-1", "dfw", 2, A, "Dallas", "Texas", 1),
    local("us-east-1", "iah", 2, A, "Houston", "Texas", 4),
    local("us-east-1", "mci", 1, A, "Kansas City", "Missouri", 2),
    local("us-east-1", "mia", 1, A, "Miami", "Florida", 2),
    local("us-east-1", "msp", 1, A, "Minneapolis", "Minnesota", 1),
    local("us-east-1", "nyc", 1, A, "New York City", "New Jersey", 4),
    local("us-east-1", "phl", 1, A, "Philadelphia", "Pennsylvania", 4),
    local("us-west-2", "den", 1, A, "Denver", "Colorado", 4),
    local("us-west-2", "las", 1, A, "Las Vegas", "Nevada", 4),
    local("us-west-2", "lax", 1, &[('a', 1), ('b', 2)], "Los Angeles", "California", 4),
    local("us-west-2", "pdx", 1, A, "Portland", "Oregon", 1),
    local("us-west-2", "phx", 2, A, "Phoenix", "Arizona", 4),
    local("us-west-2", "sea", 1, A, "Seattle", "Washington", 1),
];

#[rustfmt::skip]
pub const WAVELENGTH_TABLE: &[WavelengthGroupSpec] = &[
    WavelengthGroupSpec {
        region: "us-east-1", group: 1, carrier: "Verizon", parent_az: 4,
        metros: &["atl", "bna", "bos", "chi", "clt", "dfw", "dtw", "iah", "mia", "msp", "nyc", "tpa", "was"],
    },
    WavelengthGroupSpec {
        region: "us-west-2", group: 1, carrier: "Verizon", parent_az: 2,
        metros: &["den", "las", "phx", "sea", "sfo"],
    },
];

const fn local(
    region: &'static str,
    metro: &'static str,
    generation: u8,
    zones: &'static [(char, u8)],
    metro_name: &'static str,
    subdivision: &'static str,
    parent_az: u8,
) -> LocalZoneSpec {
    LocalZoneSpec { region, metro, generation, zones, metro_name, subdivision, parent_az }
}
