//! The office's VAPID key pair (RFC 8292): the private key signs the token that tells
//! push services who sends, the public key is the `applicationServerKey` a browser
//! subscribes with, so only this server can push to that subscription.

use super::{decode_base64url, encode_base64url};
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};
use web_push_native::p256;
use web_push_native::p256::pkcs8::DecodePrivateKey;

/// Why a configured private key could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    /// Nothing was given.
    #[error("la clave privada VAPID está vacía: genere una con «turnero new-vapid-keys»")]
    Empty,
    /// Not base64url, or not the 32 bytes of a P-256 private key.
    #[error("la clave privada VAPID no es válida: escriba la que imprime «turnero new-vapid-keys» (43 caracteres base64url) o un PEM de una clave P-256")]
    Malformed,
    /// A PEM block that holds no P-256 private key.
    #[error("el PEM no contiene una clave privada P-256 (EC PRIVATE KEY o PRIVATE KEY): genere una con «turnero new-vapid-keys»")]
    NotP256Pem,
}

/// A VAPID key pair on the P-256 curve.
pub struct VapidKeys {
    pair: ES256KeyPair,
}

impl std::fmt::Debug for VapidKeys {
    // The private key never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VapidKeys")
            .field("public", &self.public_base64url())
            .finish_non_exhaustive()
    }
}

impl Clone for VapidKeys {
    fn clone(&self) -> Self {
        // ES256KeyPair is not Clone; its 32 bytes always read back.
        Self::from_scalar(&self.pair.to_bytes()).expect("a key pair's own bytes")
    }
}

impl VapidKeys {
    /// A new random key pair.
    pub fn generate() -> VapidKeys {
        VapidKeys {
            pair: ES256KeyPair::generate(),
        }
    }

    /// Reads a private key as the configuration holds it: the base64url of its 32 bytes
    /// (what `turnero new-vapid-keys` prints, and what most Web Push tools print), or a
    /// PEM block (`EC PRIVATE KEY` as `openssl ecparam -genkey` writes, or PKCS#8
    /// `PRIVATE KEY`).
    pub fn parse(text: &str) -> Result<VapidKeys, KeyError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(KeyError::Empty);
        }
        if text.starts_with("-----BEGIN") {
            // openssl's `ecparam -genkey` writes the curve's parameters first.
            let key = text
                .find("-----BEGIN EC PRIVATE KEY-----")
                .map(|at| &text[at..])
                .and_then(|sec1| p256::SecretKey::from_sec1_pem(sec1).ok())
                .or_else(|| p256::SecretKey::from_pkcs8_pem(text).ok())
                .ok_or(KeyError::NotP256Pem)?;
            return Self::from_scalar(&key.to_bytes());
        }
        let bytes = decode_base64url(text).ok_or(KeyError::Malformed)?;
        Self::from_scalar(&bytes)
    }

    fn from_scalar(bytes: &[u8]) -> Result<VapidKeys, KeyError> {
        // jwt-simple panics on a slice of another length: checked here first.
        if bytes.len() != 32 {
            return Err(KeyError::Malformed);
        }
        ES256KeyPair::from_bytes(bytes)
            .map(|pair| VapidKeys { pair })
            .map_err(|_| KeyError::Malformed)
    }

    /// The private key as base64url (no padding): what goes in `vapid_private_key`.
    pub fn private_base64url(&self) -> String {
        encode_base64url(&self.pair.to_bytes())
    }

    /// The public key, the 65 bytes of the uncompressed point as base64url: the
    /// browser's `applicationServerKey` and the `k=` of the VAPID header.
    pub fn public_base64url(&self) -> String {
        encode_base64url(&self.pair.public_key().public_key().to_bytes_uncompressed())
    }

    /// The key pair that signs VAPID tokens.
    pub(super) fn pair(&self) -> &ES256KeyPair {
        &self.pair
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_reads_back_from_what_is_printed() {
        let keys = VapidKeys::generate();
        let private = keys.private_base64url();
        assert_eq!(private.len(), 43, "32 bytes, no padding");
        let again = VapidKeys::parse(&private).unwrap();
        assert_eq!(again.public_base64url(), keys.public_base64url());
        assert_eq!(again.private_base64url(), private);
        // Padded, or with the spaces and newline of an environment variable.
        let padded = format!("  {private}=\n");
        assert_eq!(
            VapidKeys::parse(&padded).unwrap().public_base64url(),
            keys.public_base64url()
        );
    }

    #[test]
    fn the_public_key_is_an_uncompressed_p256_point() {
        let keys = VapidKeys::generate();
        let public = decode_base64url(&keys.public_base64url()).unwrap();
        assert_eq!(public.len(), 65);
        assert_eq!(public[0], 0x04);
        assert!(p256::PublicKey::from_sec1_bytes(&public).is_ok());
    }

    #[test]
    fn a_pem_key_reads_in_both_forms() {
        use web_push_native::p256::elliptic_curve::pkcs8::{EncodePrivateKey, LineEnding};
        let keys = VapidKeys::generate();
        let secret = p256::SecretKey::from_slice(&keys.pair.to_bytes()).unwrap();
        let pkcs8 = secret.to_pkcs8_pem(LineEnding::LF).unwrap();
        assert_eq!(
            VapidKeys::parse(&pkcs8).unwrap().public_base64url(),
            keys.public_base64url()
        );
        let sec1 = secret.to_sec1_pem(LineEnding::LF).unwrap();
        // As `openssl ecparam -genkey -name prime256v1` writes it: parameters first.
        let openssl = format!(
            "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n{}",
            sec1.as_str()
        );
        assert_eq!(
            VapidKeys::parse(&openssl).unwrap().public_base64url(),
            keys.public_base64url()
        );
    }

    #[test]
    fn what_is_no_key_is_refused_with_its_reason() {
        assert_eq!(VapidKeys::parse("  ").unwrap_err(), KeyError::Empty);
        assert_eq!(
            VapidKeys::parse("not base64!").unwrap_err(),
            KeyError::Malformed
        );
        // A public key (65 bytes) is no private key.
        let public = VapidKeys::generate().public_base64url();
        assert_eq!(VapidKeys::parse(&public).unwrap_err(), KeyError::Malformed);
        // Zero is no scalar of the curve.
        let zero = encode_base64url(&[0u8; 32]);
        assert_eq!(VapidKeys::parse(&zero).unwrap_err(), KeyError::Malformed);
        assert_eq!(
            VapidKeys::parse("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
                .unwrap_err(),
            KeyError::NotP256Pem
        );
    }

    #[test]
    fn the_debug_form_shows_no_private_key() {
        let keys = VapidKeys::generate();
        let shown = format!("{keys:?}");
        assert!(!shown.contains(&keys.private_base64url()), "{shown}");
        assert!(shown.contains(&keys.public_base64url()));
    }
}
