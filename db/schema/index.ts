export * from "./tenancy";
export * from "./policies";
export * from "./reviews";
export * from "./access";
export * from "./audit";
