"""amp2mp-codemod: migrate Amplitude analytics calls to Mixpanel."""

__version__ = "0.4.0"
