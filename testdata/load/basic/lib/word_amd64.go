package lib

const wordBits = 64
