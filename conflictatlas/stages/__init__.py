"""Pipeline stages, one module each. Importing a module registers its stage."""
