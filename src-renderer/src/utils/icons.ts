import type { Component } from 'vue'
import { ChatDotRound, ChatLineRound, Connection, Document, Location, Message, Phone, Promotion } from '@element-plus/icons-vue'
import type { ActivityType } from '@/types'

export const ACTIVITY_ICONS: Record<ActivityType, Component> = {
  call: Phone,
  email: Message,
  meeting: Connection,
  visit: Location,
  wechat: ChatDotRound,
  sms: ChatLineRound,
  social: Promotion,
  note: Document,
}
