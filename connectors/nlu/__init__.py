"""Custom Rasa NLU components: input normalisation, Chinese tokenisation, fact extraction."""
