"""Python support: Amplitude's `amplitude-analytics` SDK to Mixpanel's `mixpanel` package."""
