insert into category values (1, 'books'), (2, 'games'), (3, 'music');
insert into product values (11, 'Dune', 1299, 1), (12, 'Emma', 899, 1), (21, 'Go board', 4500, 2), (22, 'Chess set', 3900, 2),
  (31, 'Kind of Blue', 1599, 3);
insert into customer (id, name, email, order_count) values (1, 'Ada Lovelace', 'ada@example.com', 1),
  (2, 'Alan Turing', 'alan@example.com', 1), (3, 'Grace Hopper', 'grace@example.com', 0);
insert into purchase_order (id, customer_id, status) values (1, 1, 'SHIPPED'), (2, 2, 'NEW');
insert into order_line (id, order_id, product_id, quantity) values (1, 1, 11, 1), (2, 1, 21, 2), (3, 2, 31, 1);
