"""Place mentions in text: the recogniser finds candidate names, the resolver picks their places."""
