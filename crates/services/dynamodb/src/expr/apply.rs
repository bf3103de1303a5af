//! Applying an update to an item as DynamoDB does: every SET value is
//! computed from the item as it was before the update, then SET, REMOVE
//! (list elements by their original index), ADD and DELETE are applied.

use super::ast::{Operand, Path, PathElement, Update, UpdateAction};
use super::eval::get_path;
use crate::errors::validation;
use crate::value::{AttributeValue, Item};
use cloudbox_core::AwsError;

/// The paths an update wrote or removed, for ReturnValues UPDATED_OLD/UPDATED_NEW
/// (see [`super::project_paths`]); a list element appended past the end is
/// named by the index it landed at.
pub type UpdatedPaths = Vec<Path>;

const MISSING_ATTRIBUTE: &str = "The provided expression refers to an attribute that does not exist in the item";
const WRONG_TYPE: &str = "An operand in the update expression has an incorrect data type";
const INVALID_PATH: &str = "The document path provided in the update expression is invalid for update";

impl Update {
    /// Applies the update to an existing item.
    /// On error the item may be partly changed; callers apply to a copy.
    pub fn apply(&self, item: &mut Item) -> Result<UpdatedPaths, AwsError> {
        self.apply_to(item, true)
    }

    /// Applies the update to an item that does not exist yet (`item` holds
    /// just its key). The one difference DynamoDB makes: a REMOVE below a
    /// missing attribute is ignored instead of refused.
    pub fn apply_to_new_item(&self, item: &mut Item) -> Result<UpdatedPaths, AwsError> {
        self.apply_to(item, false)
    }

    /// The item this update makes: of a copy of `old` when the item exists,
    /// else of a new item holding just `key`, each with the rules
    /// DynamoDB applies to that case.
    pub fn updated(&self, old: Option<&Item>, key: &Item) -> Result<(Item, UpdatedPaths), AwsError> {
        let mut item = old.unwrap_or(key).clone();
        let paths = self.apply_to(&mut item, old.is_some())?;
        Ok((item, paths))
    }

    fn apply_to(&self, item: &mut Item, existed: bool) -> Result<UpdatedPaths, AwsError> {
        let mut sets = Vec::new();
        for action in &self.actions {
            if let UpdateAction::Set(path, operand) = action {
                sets.push((path, evaluate(operand, item)?));
            }
        }
        // Elements set past a list's end are appended in index order.
        sets.sort_by(|a, b| a.0.cmp(b.0));
        let mut written = Vec::with_capacity(self.actions.len());
        for (path, value) in sets {
            written.push(set_path(item, path, value)?);
        }
        // Later list indexes first, so earlier indexes still mean the original elements.
        let mut removals: Vec<&Path> = self
            .actions
            .iter()
            .filter_map(|a| if let UpdateAction::Remove(path) = a { Some(path) } else { None })
            .collect();
        removals.sort_by(|a, b| b.cmp(a));
        for path in removals {
            remove_path(item, path, existed)?;
        }
        for action in &self.actions {
            match action {
                UpdateAction::Add(path, value) => add_to_path(item, path, value)?,
                UpdateAction::Delete(path, value) => delete_from_path(item, path, value)?,
                _ => continue,
            }
            written.push(action.path().clone());
        }
        written.extend(self.actions.iter().filter(|a| matches!(a, UpdateAction::Remove(_))).map(|a| a.path().clone()));
        Ok(written)
    }
}

/// A SET value, computed from the item before the update.
fn evaluate(operand: &Operand, item: &Item) -> Result<AttributeValue, AwsError> {
    match operand {
        Operand::Path(path) => get_path(item, path).cloned().ok_or_else(|| validation(MISSING_ATTRIBUTE)),
        Operand::Value(value) => Ok(value.clone()),
        Operand::IfNotExists(path, default) => match get_path(item, path) {
            Some(value) => Ok(value.clone()),
            None => evaluate(default, item),
        },
        Operand::ListAppend(first, second) => match (evaluate(first, item)?, evaluate(second, item)?) {
            (AttributeValue::L(mut first), AttributeValue::L(second)) => {
                first.extend(second);
                Ok(AttributeValue::L(first))
            }
            _ => Err(validation(WRONG_TYPE)),
        },
        Operand::Plus(left, right) | Operand::Minus(left, right) => {
            match (evaluate(left, item)?, evaluate(right, item)?) {
                (AttributeValue::N(a), AttributeValue::N(b)) => {
                    let result = if matches!(operand, Operand::Plus(..)) { a.add(&b)? } else { a.subtract(&b)? };
                    Ok(AttributeValue::N(result))
                }
                _ => Err(validation(WRONG_TYPE)),
            }
        }
        Operand::Size(_) => Err(validation(WRONG_TYPE)),
    }
}

/// The container holding a nested path's last element; it must exist.
fn parent_mut<'a>(item: &'a mut Item, path: &Path) -> Result<&'a mut AttributeValue, AwsError> {
    let Some((PathElement::Name(first), rest)) = path.elements.split_first() else {
        return Err(validation(INVALID_PATH));
    };
    let mut current = item.get_mut(first).ok_or_else(|| validation(INVALID_PATH))?;
    for element in rest.iter().take(rest.len().saturating_sub(1)) {
        current = match (element, current) {
            (PathElement::Name(name), AttributeValue::M(map)) => map.get_mut(name),
            (PathElement::Index(index), AttributeValue::L(list)) => list.get_mut(*index),
            _ => None,
        }
        .ok_or_else(|| validation(INVALID_PATH))?;
    }
    Ok(current)
}

/// Writes `value` at `path`; returns where it landed (an index past a list's end appends).
fn set_path(item: &mut Item, path: &Path, value: AttributeValue) -> Result<Path, AwsError> {
    if path.is_top_level() {
        item.insert(path.root().to_string(), value);
        return Ok(path.clone());
    }
    match (parent_mut(item, path)?, path.elements.last()) {
        (AttributeValue::M(map), Some(PathElement::Name(name))) => {
            map.insert(name.clone(), value);
            Ok(path.clone())
        }
        (AttributeValue::L(list), Some(PathElement::Index(index))) => match list.get_mut(*index) {
            Some(slot) => {
                *slot = value;
                Ok(path.clone())
            }
            None => {
                list.push(value);
                let mut landed = path.clone();
                if let Some(last) = landed.elements.last_mut() {
                    *last = PathElement::Index(list.len() - 1);
                }
                Ok(landed)
            }
        },
        _ => Err(validation(INVALID_PATH)),
    }
}

/// Removes the element at `path`. A missing leaf is no error; a missing or
/// mistyped parent is, unless the item did not exist before the update.
fn remove_path(item: &mut Item, path: &Path, existed: bool) -> Result<(), AwsError> {
    if path.is_top_level() {
        item.remove(path.root());
        return Ok(());
    }
    let parent = match parent_mut(item, path) {
        Ok(parent) => parent,
        Err(_) if !existed => return Ok(()),
        Err(error) => return Err(error),
    };
    match (parent, path.elements.last()) {
        (AttributeValue::M(map), Some(PathElement::Name(name))) => {
            map.remove(name);
        }
        (AttributeValue::L(list), Some(PathElement::Index(index))) if *index < list.len() => {
            list.remove(*index);
        }
        // Past a list's end there is nothing to remove.
        (AttributeValue::L(_), Some(PathElement::Index(_))) => {}
        _ if existed => return Err(validation(INVALID_PATH)),
        _ => {}
    }
    Ok(())
}

/// The value at `path` for in-place changes; `None` when absent (a nested path's parent must exist).
fn target_mut<'a>(item: &'a mut Item, path: &Path) -> Result<Option<&'a mut AttributeValue>, AwsError> {
    if path.is_top_level() {
        return Ok(item.get_mut(path.root()));
    }
    match (parent_mut(item, path)?, path.elements.last()) {
        (AttributeValue::M(map), Some(PathElement::Name(name))) => Ok(map.get_mut(name)),
        (AttributeValue::L(list), Some(PathElement::Index(index))) => Ok(list.get_mut(*index)),
        _ => Err(validation(INVALID_PATH)),
    }
}

fn add_to_path(item: &mut Item, path: &Path, value: &AttributeValue) -> Result<(), AwsError> {
    let Some(existing) = target_mut(item, path)? else {
        return set_path(item, path, value.clone()).map(|_| ());
    };
    match (existing, value) {
        (AttributeValue::N(a), AttributeValue::N(b)) => *a = a.add(b)?,
        (AttributeValue::Ss(set), AttributeValue::Ss(add)) => union(set, add),
        (AttributeValue::Ns(set), AttributeValue::Ns(add)) => union(set, add),
        (AttributeValue::Bs(set), AttributeValue::Bs(add)) => union(set, add),
        // Only the legacy AttributeUpdates ADD reaches here with a list: it appends.
        (AttributeValue::L(list), AttributeValue::L(add)) => list.extend(add.iter().cloned()),
        _ => return Err(validation(WRONG_TYPE)),
    }
    Ok(())
}

fn union<T: PartialEq + Clone>(set: &mut Vec<T>, add: &[T]) {
    for member in add {
        if !set.contains(member) {
            set.push(member.clone());
        }
    }
}

fn delete_from_path(item: &mut Item, path: &Path, value: &AttributeValue) -> Result<(), AwsError> {
    let Some(existing) = target_mut(item, path)? else { return Ok(()) };
    let now_empty = match (existing, value) {
        (AttributeValue::Ss(set), AttributeValue::Ss(remove)) => difference(set, remove),
        (AttributeValue::Ns(set), AttributeValue::Ns(remove)) => difference(set, remove),
        (AttributeValue::Bs(set), AttributeValue::Bs(remove)) => difference(set, remove),
        _ => return Err(validation(WRONG_TYPE)),
    };
    if now_empty {
        remove_path(item, path, true)?;
    }
    Ok(())
}

/// Removes members; true when the set is left empty (DynamoDB then drops it).
fn difference<T: PartialEq>(set: &mut Vec<T>, remove: &[T]) -> bool {
    set.retain(|member| !remove.contains(member));
    set.is_empty()
}
