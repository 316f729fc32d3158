// The contacts list (联系人): every account's contacts in one list, with
// search, account and owner filters, saved views, columns and export.
// Avoid the characters @ { } | $ in texts unless they are message syntax.
import { defineFeatureMessages } from './define'

const zh = {
  contactList: {
    nav: '联系人',
    title: '联系人',
    subtitle: '所有客户的联系人：按客户、负责人查找，导出通讯录。点击一行打开所属客户。',
    searchPlaceholder: '搜索姓名、手机、邮箱、微信',
    account: '所属客户',
    ownerHint: '负责人即所属客户的负责人',
    empty: '还没有联系人。联系人在客户详情页中添加，或随“客户 + 联系人”一起导入。',
    emptyFiltered: '没有符合条件的联系人，试试调整搜索或筛选条件。',
    primary: '主要',
    columns: {
      name: '姓名',
      account: '所属客户',
      title: '职务',
      mobile: '手机',
      phone: '座机',
      email: '邮箱',
      wechat: '微信',
      owner: '负责人',
      createdAt: '创建时间',
      updatedAt: '更新时间',
    },
    selection: {
      selected: '已选 {n} 人',
      exportHint: '只导出选中的联系人',
      clear: '取消选择',
    },
    fileSelected: '联系人-已选',
  },
}

const en: typeof zh = {
  contactList: {
    nav: 'Contacts',
    title: 'Contacts',
    subtitle: 'Every account’s contacts: find them by account or owner, export an address list. Click a row to open its account.',
    searchPlaceholder: 'Name, mobile, e-mail, WeChat',
    account: 'Account',
    ownerHint: 'The owner is the account’s owner',
    empty: 'No contacts yet. Add them on an account’s page, or import “Accounts + contacts”.',
    emptyFiltered: 'No contacts match. Try another search or fewer filters.',
    primary: 'Primary',
    columns: {
      name: 'Name',
      account: 'Account',
      title: 'Title',
      mobile: 'Mobile',
      phone: 'Phone',
      email: 'E-mail',
      wechat: 'WeChat',
      owner: 'Owner',
      createdAt: 'Created',
      updatedAt: 'Updated',
    },
    selection: {
      selected: '{n} selected',
      exportHint: 'Export only the selected contacts',
      clear: 'Clear selection',
    },
    fileSelected: 'contacts-selected',
  },
}

export default defineFeatureMessages(zh, en)
