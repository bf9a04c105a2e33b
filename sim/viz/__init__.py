"""The teaching dashboard (`collabsim viz`), built on Mesa's SolaraViz components."""
