// Public API of this package; filled in as its issue lands.
export {};
