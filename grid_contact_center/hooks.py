def post_init_hook(env):
    """Give the companies that existed before installation their
    registration-number sequences."""
    env["res.company"].search([])._grid_create_interaction_sequences()
