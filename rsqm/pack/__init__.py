"""The submission pack: the self-assessment document, the evidence files and a manifest in one ZIP."""
