var a;
var b;
var c;
var d;
