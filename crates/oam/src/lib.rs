//! KubeVela/OAM Application rendering.
