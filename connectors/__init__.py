"""Custom Rasa input channels (hotline text) and the web chat widget's assets."""
