"""The reader (issue 17): paste a post, read it word by word, keep the words you meet (My words)."""
