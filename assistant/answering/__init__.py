"""Answer composition: a ``Composer`` protocol and the extractive composer, split by kind of answer."""
