//! The `crypto/*` hash packages (RustCrypto implementations of the same algorithms Go uses).

use digest::Digest;
use hmac::{Hmac, Mac};

use super::{
    arg_bytes, arg_str, Builtin, BuiltinError, BuiltinResult, Func, Kind, Val, BYTES_STR, STR,
};

const fn sum(pkg: &'static str, name: &'static str, func: fn(&[Val]) -> BuiltinResult) -> Builtin {
    Builtin {
        pkg,
        name,
        params: &[BYTES_STR],
        result: BYTES_STR,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(func),
    }
}

const fn c(pkg: &'static str, name: &'static str, text: &'static str) -> Builtin {
    Builtin {
        pkg,
        name,
        params: &[],
        result: Kind::TOP,
        non_concrete: false,
        last_default: None,
        func: Func::Const(text),
    }
}

fn hash<D: Digest>(a: &[Val]) -> BuiltinResult {
    Ok(Val::bytes(D::digest(arg_bytes(a, 0)?)))
}

pub(super) const SHA256: &[Builtin] = &[
    c("crypto/sha256", "Size", "32"),
    c("crypto/sha256", "Size224", "28"),
    c("crypto/sha256", "BlockSize", "64"),
    sum("crypto/sha256", "Sum256", hash::<sha2::Sha256>),
    sum("crypto/sha256", "Sum224", hash::<sha2::Sha224>),
];

pub(super) const SHA512: &[Builtin] = &[
    c("crypto/sha512", "Size", "64"),
    c("crypto/sha512", "Size224", "28"),
    c("crypto/sha512", "Size256", "32"),
    c("crypto/sha512", "Size384", "48"),
    c("crypto/sha512", "BlockSize", "128"),
    sum("crypto/sha512", "Sum512", hash::<sha2::Sha512>),
    sum("crypto/sha512", "Sum384", hash::<sha2::Sha384>),
    sum("crypto/sha512", "Sum512_224", hash::<sha2::Sha512_224>),
    sum("crypto/sha512", "Sum512_256", hash::<sha2::Sha512_256>),
];

pub(super) const SHA1: &[Builtin] = &[
    c("crypto/sha1", "Size", "20"),
    c("crypto/sha1", "BlockSize", "64"),
    sum("crypto/sha1", "Sum", hash::<sha1::Sha1>),
];

pub(super) const MD5: &[Builtin] = &[
    c("crypto/md5", "Size", "16"),
    c("crypto/md5", "BlockSize", "64"),
    sum("crypto/md5", "Sum", hash::<md5::Md5>),
];

pub(super) const ED25519: &[Builtin] = &[
    c("crypto/ed25519", "PublicKeySize", "32"),
    Builtin {
        pkg: "crypto/ed25519",
        name: "Valid",
        params: &[BYTES_STR, BYTES_STR, BYTES_STR],
        result: Kind::BOOL,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(ed25519_valid),
    },
];

/// Go's `ed25519.Verify(publicKey, message, sig)`: cue rejects a key of the wrong size with an
/// error; any other malformed input is an invalid signature.
fn ed25519_valid(a: &[Val]) -> BuiltinResult {
    let (key, msg, sig) = (arg_bytes(a, 0)?, arg_bytes(a, 1)?, arg_bytes(a, 2)?);
    let Ok(key) = <[u8; 32]>::try_from(key) else {
        return Err(BuiltinError::Call(
            "ed25519: publicKey must be 32 bytes".into(),
        ));
    };
    let Ok(sig) = <[u8; 64]>::try_from(sig) else {
        return Ok(Val::Bool(false));
    };
    let Ok(vk) = ed25519_dalek::VerifyingKey::from_bytes(&key) else {
        return Ok(Val::Bool(false));
    };
    let sig = ed25519_dalek::Signature::from_bytes(&sig);
    // Go's Verify is the cofactorless check without the strict small-order rejections.
    Ok(Val::Bool(
        ed25519_dalek::Verifier::verify(&vk, msg, &sig).is_ok(),
    ))
}

pub(super) const HMAC: &[Builtin] = &[
    c("crypto/hmac", "MD5", "\"MD5\""),
    c("crypto/hmac", "SHA1", "\"SHA1\""),
    c("crypto/hmac", "SHA224", "\"SHA224\""),
    c("crypto/hmac", "SHA256", "\"SHA256\""),
    c("crypto/hmac", "SHA384", "\"SHA384\""),
    c("crypto/hmac", "SHA512", "\"SHA512\""),
    c("crypto/hmac", "SHA512_224", "\"SHA512_224\""),
    c("crypto/hmac", "SHA512_256", "\"SHA512_256\""),
    Builtin {
        pkg: "crypto/hmac",
        name: "Sign",
        params: &[STR, BYTES_STR, BYTES_STR],
        result: BYTES_STR,
        non_concrete: false,
        last_default: None,
        func: Func::Pure(sign),
    },
];

fn mac<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so construction cannot fail.
    match <M as hmac::digest::KeyInit>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

fn sign(a: &[Val]) -> BuiltinResult {
    let (name, key, data) = (arg_str(a, 0)?, arg_bytes(a, 1)?, arg_bytes(a, 2)?);
    let out = match name {
        "MD5" => mac::<Hmac<md5::Md5>>(key, data),
        "SHA1" => mac::<Hmac<sha1::Sha1>>(key, data),
        "SHA224" => mac::<Hmac<sha2::Sha224>>(key, data),
        "SHA256" => mac::<Hmac<sha2::Sha256>>(key, data),
        "SHA384" => mac::<Hmac<sha2::Sha384>>(key, data),
        "SHA512" => mac::<Hmac<sha2::Sha512>>(key, data),
        "SHA512_224" => mac::<Hmac<sha2::Sha512_224>>(key, data),
        "SHA512_256" => mac::<Hmac<sha2::Sha512_256>>(key, data),
        _ => return Err(BuiltinError::Call("unsupported hash function".into())),
    };
    Ok(Val::bytes(out))
}

#[cfg(test)]
mod tests {
    use super::super::encoding::hex_encode;
    use super::super::{call, lookup};
    use super::*;

    fn hex_of(pkg: &str, name: &str, args: &[Val]) -> String {
        let b = lookup(pkg, name).expect("builtin exists");
        match call(b, args) {
            Ok(Val::Bytes(b)) => hex_encode(&b),
            Ok(v) => format!("unexpected {v}"),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn digests() {
        let abc = Val::str("abc");
        assert_eq!(
            hex_of("crypto/sha256", "Sum256", std::slice::from_ref(&abc)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex_of("crypto/sha1", "Sum", std::slice::from_ref(&abc)),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex_of("crypto/md5", "Sum", std::slice::from_ref(&abc)),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        assert_eq!(
            hex_of("crypto/sha512", "Sum512_256", std::slice::from_ref(&abc)),
            "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"
        );
        assert_eq!(
            hex_of(
                "crypto/hmac",
                "Sign",
                &[
                    Val::str("SHA256"),
                    Val::str("key"),
                    Val::str("The quick brown fox jumps over the lazy dog")
                ]
            ),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
        assert_eq!(
            hex_of("crypto/hmac", "Sign", &[Val::str("X"), abc.clone(), abc]),
            "ERR unsupported hash function"
        );
        let hexb = |h: &str| {
            Val::bytes(
                (0..h.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0))
                    .collect::<Vec<u8>>(),
            )
        };
        let valid = lookup("crypto/ed25519", "Valid").expect("ed25519.Valid");
        let key = hexb("3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29");
        let sig = hexb("f796ce9e6e23cbc15f6d308e886b1996335a6b1c40f7d618b1a6646be262974fdcf811214ce2705e04252edc63b068c84f61e8cace7814b3aac9c93565e3d904");
        assert_eq!(
            call(valid, &[key.clone(), Val::str("valid"), sig.clone()]),
            Ok(Val::Bool(true))
        );
        assert_eq!(
            call(valid, &[key, Val::str("other"), sig.clone()]),
            Ok(Val::Bool(false))
        );
        assert_eq!(
            call(valid, &[Val::bytes(b""), Val::str("x"), sig]),
            Err(BuiltinError::Call(
                "ed25519: publicKey must be 32 bytes".into()
            ))
        );
        let k = lookup("crypto/hmac", "SHA256").and_then(|b| b.const_value());
        assert_eq!(k, Some(Val::str("SHA256")));
    }
}
