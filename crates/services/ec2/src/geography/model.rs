//! What a region and a zone are, with every attribute EC2 reports for them,
//! and the account-facing rules: which regions are enabled, which zones are
//! opted in.

use super::region_table::RegionOptIn;

/// Opt-in status as EC2 spells it, for regions and zones alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptInStatus {
    OptInNotRequired,
    OptedIn,
    NotOptedIn,
}

impl OptInStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OptInStatus::OptInNotRequired => "opt-in-not-required",
            OptInStatus::OptedIn => "opted-in",
            OptInStatus::NotOptedIn => "not-opted-in",
        }
    }
}

/// The kinds of zone EC2 knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneType {
    AvailabilityZone,
    LocalZone,
    WavelengthZone,
}

impl ZoneType {
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneType::AvailabilityZone => "availability-zone",
            ZoneType::LocalZone => "local-zone",
            ZoneType::WavelengthZone => "wavelength-zone",
        }
    }
}

/// A region with its endpoint and all of its zones.
#[derive(Debug)]
pub struct Region {
    pub name: &'static str,
    pub long_name: &'static str,
    /// `ec2.<region>.amazonaws.com`.
    pub endpoint: String,
    pub opt_in: RegionOptIn,
    pub country: &'static str,
    /// Availability Zones first (by letter), then Local, then Wavelength Zones.
    pub zones: Vec<Zone>,
}

impl Region {
    /// The region's opt-in status for the calling account. Every opt-in
    /// region counts as enabled, so that all of them are usable.
    pub fn opt_in_status(&self) -> OptInStatus {
        match self.opt_in {
            RegionOptIn::NotRequired => OptInStatus::OptInNotRequired,
            RegionOptIn::Required => OptInStatus::OptedIn,
        }
    }

    /// Whether the account can use the region (what DescribeRegions lists
    /// without `AllRegions`).
    pub fn is_enabled(&self) -> bool {
        self.opt_in_status() != OptInStatus::NotOptedIn
    }

    pub fn zone_named(&self, zone_name: &str) -> Option<&Zone> {
        self.zones.iter().find(|zone| zone.zone_name == zone_name)
    }

    pub fn zone_with_id(&self, zone_id: &str) -> Option<&Zone> {
        self.zones.iter().find(|zone| zone.zone_id == zone_id)
    }
}

/// The zone a Local or Wavelength Zone is controlled from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentZone {
    pub zone_name: String,
    pub zone_id: String,
}

/// An Availability Zone, Local Zone or Wavelength Zone.
#[derive(Debug)]
pub struct Zone {
    pub region_name: &'static str,
    pub zone_name: String,
    pub zone_id: String,
    pub zone_type: ZoneType,
    pub group_name: String,
    pub group_long_name: String,
    pub network_border_group: String,
    /// Set for Local and Wavelength Zones.
    pub parent: Option<ParentZone>,
    /// Country, where AWS reports one (Availability and Local Zones).
    pub geography: Option<&'static str>,
    /// State or province, where AWS reports one.
    pub sub_geography: Option<&'static str>,
}

impl Zone {
    /// Availability Zones need no opt-in; Local and Wavelength Zones start
    /// out not opted in.
    pub fn opt_in_status(&self) -> OptInStatus {
        match self.zone_type {
            ZoneType::AvailabilityZone => OptInStatus::OptInNotRequired,
            ZoneType::LocalZone | ZoneType::WavelengthZone => OptInStatus::NotOptedIn,
        }
    }

    /// Listed by DescribeAvailabilityZones without `AllAvailabilityZones`.
    pub fn is_listed_by_default(&self) -> bool {
        self.opt_in_status() != OptInStatus::NotOptedIn
    }

    /// Every zone is up.
    pub fn state(&self) -> &'static str {
        "available"
    }
}
