"""Credit as pure rules (no ORM): the 严重失信主体名单 situations, periods and removal (应急管理部令第11号) and the
five-colour rating. Each rule names its source (../shared/regulations.md)."""
