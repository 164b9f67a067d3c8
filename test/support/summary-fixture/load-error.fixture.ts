// The file throws while it is collected: no test to count.
throw new Error('does not load');
