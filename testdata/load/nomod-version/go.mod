module example.com/old
