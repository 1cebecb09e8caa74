export * from "@lora-litee/data";
