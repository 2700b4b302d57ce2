def migrate(cr, version):
    """The collections list is ranked by weighted loss: rows computed before
    the weights were learnt weigh 1."""
    cr.execute(
        """
        UPDATE distrib_collection_priority
           SET weight = 1.0, weighted_loss = expected_loss
         WHERE weighted_loss IS NULL
        """
    )
