//! The `[[users]]` who sign in: unique usernames, known roles and offices, argon2
//! password hashes.

use super::errors::Errors;
use crate::config::{Role, User};
use serde::Deserialize;
use std::collections::HashSet;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUser {
    username: Spanned<String>,
    name: String,
    role: Spanned<String>,
    office: Option<Spanned<String>>,
    password_hash: Spanned<String>,
}

pub(super) fn users(
    errors: &mut Errors<'_>,
    raw: &[Spanned<RawUser>],
    offices: &HashSet<&str>,
) -> Vec<User> {
    let mut seen = HashSet::new();
    let mut users = Vec::new();
    for u in raw {
        let u = u.get_ref();
        errors.unique(&mut seen, &u.username, "El usuario");
        if u.username.get_ref().trim().is_empty() {
            errors.at(&u.username, "el nombre de usuario está vacío");
        }
        let role = Role::parse(u.role.get_ref());
        if role.is_none() {
            errors.at(
                &u.role,
                format!(
                    "el rol «{}» no existe: use admin, supervisor o agent",
                    u.role.get_ref()
                ),
            );
        }
        if let Some(office) = &u.office {
            if !offices.contains(office.get_ref().as_str()) {
                errors.at(
                    office,
                    format!("la oficina «{}» no existe", office.get_ref()),
                );
            }
        } else if role == Some(Role::Agent) {
            errors.at(
                &u.username,
                format!(
                    "el agente «{}» necesita una oficina (office = \"…\")",
                    u.username.get_ref()
                ),
            );
        }
        if argon2::PasswordHash::new(u.password_hash.get_ref()).is_err() {
            errors.at(
                &u.password_hash,
                "password_hash no es un hash argon2 válido: genérelo con «turnero hash-password»",
            );
        }
        if let Some(role) = role {
            users.push(User {
                username: u.username.get_ref().clone(),
                name: u.name.clone(),
                role,
                office: u.office.as_ref().map(|o| o.get_ref().clone()),
                password_hash: u.password_hash.get_ref().clone(),
            });
        }
    }
    users
}
