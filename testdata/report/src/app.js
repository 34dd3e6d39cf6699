const a = 1;
const b = eval(input);
const c = 3;
run(c);
